/**
 * One trial's training: source models (the built-in CNN, DL4J zips), target data (IDX files), the transfer-learning
 * build (new head, freeze boundary), the epoch loop and the final evaluation, and a paused trial's checkpoint. The only
 * package importing DL4J/ND4J.
 */
package dev.thaw.train;

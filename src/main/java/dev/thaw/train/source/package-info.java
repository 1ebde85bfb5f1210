/**
 * Source models: DL4J zips, Keras imports and zoo architectures loaded once per study, the images they take, and
 * their backbone counted in blocks (the units of {@code unfreeze_depth}).
 */
package dev.thaw.train.source;

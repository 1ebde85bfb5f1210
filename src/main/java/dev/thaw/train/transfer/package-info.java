/** The transfer build: a source model with its classifier replaced by a new head and frozen below the boundary. */
package dev.thaw.train.transfer;

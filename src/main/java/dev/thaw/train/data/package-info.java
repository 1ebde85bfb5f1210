/**
 * Target images: IDX, CIFAR-10 and class folders read, split (held out or k folds), resized and preprocessed into the
 * tensors trials train on, and a trial's augmentation of them.
 */
package dev.thaw.train.data;

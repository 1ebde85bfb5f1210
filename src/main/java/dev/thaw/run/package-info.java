/**
 * The orchestration loop: ask the sampler, record the trial, train it, record the outcome, tell the sampler;
 * termination by budget and time; which trained models to keep. Imports study, search, train and store.
 */
package dev.thaw.run;

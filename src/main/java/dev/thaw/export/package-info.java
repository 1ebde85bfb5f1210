/**
 * Exporting a study's best trial: a re-runnable study file with every searched parameter fixed to the winning
 * value, the trained model zip, and a provenance block. Imports study, study.yaml and store.
 */
package dev.thaw.export;

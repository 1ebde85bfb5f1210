/**
 * The study's value types: what a study asks for, what a trial was given, what it produced.
 * Imports nothing outside the JDK; every other package depends on it.
 */
package dev.thaw.study;

/**
 * The YAML study file: reading it into a validated {@link dev.thaw.study.StudySpec} (every error names the field
 * path and line) and writing a spec back out. Imports {@code dev.thaw.study} and Jackson YAML only.
 */
package dev.thaw.study.yaml;

/**
 * The YAML study file: reading it into a validated {@link dev.thaw.study.StudySpec} (every error names the field
 * path and line), writing a spec back out, and the file's JSON Schema ({@link dev.thaw.study.yaml.StudySchema}). Imports
 * {@code dev.thaw.study} and Jackson YAML only.
 */
package dev.thaw.study.yaml;

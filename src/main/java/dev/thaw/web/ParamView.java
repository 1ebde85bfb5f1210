package dev.thaw.web;

import java.util.List;

/**
 * How a page draws one hyperparameter: its name, its axis ({@code log}, {@code linear} or {@code category}), and
 * for a category axis its values in the study file's order.
 */
record ParamView(String name, String axis, List<Object> values) {
    ParamView {
        values = List.copyOf(values);
    }
}

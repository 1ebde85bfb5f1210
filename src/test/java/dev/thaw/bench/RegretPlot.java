package dev.thaw.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The replay benchmarks' figure: median regret against the budget spent (trials for the search benchmark, epochs for
 * the pruning one), one line per method that ran (Optuna's dashed).
 */
final class RegretPlot {
    private RegretPlot() {
    }

    /** The search benchmark's figure: median regret against trials. */
    static void write(ReplayReport report, List<SearchBenchmark.Runs> runs, int seeds, Path png) throws IOException {
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (SearchBenchmark.Runs r : runs) {
            if (r.failure().isEmpty()) {
                curves.put(r.method(), report.medianRegret(r));
            }
        }
        write(curves, seeds, "trials", Double.NaN, png);
    }

    /**
     * Draws {@code curves} (method → median regret after 1, 2, ... units of {@code xAxis}) to {@code png}.
     *
     * @param seeds how many seeds each median is over, for the title
     * @param yMax  where the y axis is cut, so that the start (nothing finished yet: regret = the table's best) does
     *              not flatten the rest; NaN for no cut
     */
    static void write(Map<String, double[]> curves, int seeds, String xAxis, double yMax, Path png)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title("Median regret over " + seeds + " seeds (table best minus best so far)"
                        + (Double.isNaN(yMax) ? "" : String.format(java.util.Locale.ROOT, ", cut at %.2f", yMax)))
                .xAxisTitle(xAxis).yAxisTitle("regret, val_accuracy").build();
        if (!Double.isNaN(yMax)) {
            chart.getStyler().setYAxisMax(yMax);
        }
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        curves.forEach((method, regret) -> {
            double[] x = IntStream.rangeClosed(1, regret.length).asDoubleStream().toArray();
            XYSeries s = chart.addSeries(method, x, regret);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(method.startsWith("optuna") ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        });
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}

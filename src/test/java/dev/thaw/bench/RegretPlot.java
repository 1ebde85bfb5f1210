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
import java.util.List;
import java.util.stream.IntStream;

/** The search benchmark's figure: median regret against trials, one line per method that ran (Optuna's dashed). */
final class RegretPlot {
    private RegretPlot() {
    }

    static void write(ReplayReport report, List<SearchBenchmark.Runs> runs, int seeds, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title("Median regret over " + seeds + " seeds (table best minus best so far)")
                .xAxisTitle("trials").yAxisTitle("regret, val_accuracy").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        for (SearchBenchmark.Runs r : runs) {
            if (r.failure().isPresent()) {
                continue;
            }
            double[] regret = report.medianRegret(r);
            double[] x = IntStream.rangeClosed(1, regret.length).asDoubleStream().toArray();
            XYSeries s = chart.addSeries(r.method(), x, regret);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(r.method().startsWith("optuna") ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}

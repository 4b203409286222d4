package io.assetetl.sources.coingecko;

import io.assetetl.run.EtlMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Metrics that remember every count and duration reported, for assertions. */
public final class RecordingMetrics implements EtlMetrics {

    /** One reported value. */
    public record Sample(String name, Map<String, String> labels, long amount, Duration duration) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();

    @Override
    public void count(String name, Map<String, String> labels, long amount) {
        samples.add(new Sample(name, new TreeMap<>(labels), amount, null));
    }

    @Override
    public void time(String name, Map<String, String> labels, Duration duration) {
        samples.add(new Sample(name, new TreeMap<>(labels), 0, duration));
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The sum of a counter over the samples whose labels include {@code labels}. */
    public long total(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.duration() == null
                        && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToLong(Sample::amount).sum();
    }

    /** The durations recorded under {@code name}. */
    public List<Duration> durations(String name) {
        return samples.stream().filter(s -> s.name().equals(name) && s.duration() != null)
                .map(Sample::duration).toList();
    }
}

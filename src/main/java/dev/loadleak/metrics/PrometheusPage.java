package dev.loadleak.metrics;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One Prometheus endpoint, fetched once per sampling round and read for several series: the
 * fetching probe scrapes and parses the page; the {@linkplain #cached cached} probes, sampled right
 * after it in the same round (the sampler takes its sources in order on one thread), read the page
 * it parsed, so that N series cost one scrape, not N. When the scrape failed, each cached probe is a
 * gap with the same reason.
 *
 * <p>A malformed line voids only its own series: a source that asked for that series gets a gap
 * naming the line; any other source reads the page as usual, and the line is reported once per page
 * (per run) through {@code warnings}, naming the line. A page is not thrown away for one bad series.
 */
public final class PrometheusPage {
    private final HttpScraper scraper;
    private final URI uri;
    private final String token;
    private final java.util.function.Consumer<String> warnings;
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile PrometheusText.Page last;
    private volatile String lastFailure = "the page was not fetched yet";

    public PrometheusPage(HttpScraper scraper, URI uri, String token) {
        this(scraper, uri, token, w -> { });
    }

    /** @param warnings told once per metric name of a malformed line no source asked for */
    public PrometheusPage(HttpScraper scraper, URI uri, String token, java.util.function.Consumer<String> warnings) {
        this.scraper = scraper;
        this.uri = uri;
        this.token = token;
        this.warnings = warnings;
    }

    /** Fetches the page, keeps it for the cached probes, and reads {@code metric{labels}} from it. */
    public MemoryProbe fetching(String metric, Map<String, String> labels) {
        return () -> {
            try {
                last = PrometheusText.parsePage(scraper.fetch(uri, token));
                lastFailure = null;
            } catch (MemoryProbe.ProbeException e) {
                last = null;
                lastFailure = e.getMessage();
                throw e;
            }
            return read(last, metric, labels);
        };
    }

    /** Reads {@code metric{labels}} from the page the fetching probe read last. */
    public MemoryProbe cached(String metric, Map<String, String> labels) {
        return () -> {
            PrometheusText.Page page = last;
            if (page == null) {
                throw new MemoryProbe.ProbeException(lastFailure);
            }
            return read(page, metric, labels);
        };
    }

    private double read(PrometheusText.Page page, String metric, Map<String, String> labels)
            throws MemoryProbe.ProbeException {
        List<PrometheusText.Malformed> own = page.malformedIn(metric);
        if (!own.isEmpty()) {
            throw new MemoryProbe.ProbeException("garbage from " + uri + ": " + own.get(0).describe());
        }
        for (PrometheusText.Malformed m : page.malformed()) {
            if (warned.add(m.name())) {
                warnings.accept("a line of " + uri + " was skipped (not series " + metric + ", which was read): "
                        + m.describe());
            }
        }
        Double v = PrometheusText.select(page.samples(), metric, labels);
        if (v == null && !page.malformed().isEmpty()) {
            // the series is missing from a page with garbage in it: the garbage is the likelier reason
            throw new MemoryProbe.ProbeException("garbage from " + uri + ": " + page.malformed().get(0).describe());
        }
        if (v == null) {
            throw new MemoryProbe.ProbeException("no series " + metric + (labels.isEmpty() ? "" : labels) + " at " + uri);
        }
        if (v.isNaN() || v.isInfinite() || v < 0) {
            throw new MemoryProbe.ProbeException(metric + " is " + v + " at " + uri);
        }
        return v;
    }
}

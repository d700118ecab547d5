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
 */
public final class PrometheusPage {
    private final HttpScraper scraper;
    private final URI uri;
    private final String token;
    private volatile List<PrometheusText.Sample> last;
    private volatile String lastFailure = "the page was not fetched yet";

    public PrometheusPage(HttpScraper scraper, URI uri, String token) {
        this.scraper = scraper;
        this.uri = uri;
        this.token = token;
    }

    /** Fetches the page, keeps it for the cached probes, and reads {@code metric{labels}} from it. */
    public MemoryProbe fetching(String metric, Map<String, String> labels) {
        return () -> {
            try {
                last = PrometheusText.parse(scraper.fetch(uri, token));
                lastFailure = null;
            } catch (MemoryProbe.ProbeException e) {
                last = null;
                lastFailure = e.getMessage();
                throw e;
            } catch (IllegalArgumentException e) {
                last = null;
                lastFailure = "garbage from " + uri + ": " + e.getMessage();
                throw new MemoryProbe.ProbeException(lastFailure);
            }
            return read(last, metric, labels);
        };
    }

    /** Reads {@code metric{labels}} from the page the fetching probe read last. */
    public MemoryProbe cached(String metric, Map<String, String> labels) {
        return () -> {
            List<PrometheusText.Sample> page = last;
            if (page == null) {
                throw new MemoryProbe.ProbeException(lastFailure);
            }
            return read(page, metric, labels);
        };
    }

    private double read(List<PrometheusText.Sample> page, String metric, Map<String, String> labels)
            throws MemoryProbe.ProbeException {
        Double v = PrometheusText.select(page, metric, labels);
        if (v == null) {
            throw new MemoryProbe.ProbeException("no series " + metric + (labels.isEmpty() ? "" : labels) + " at " + uri);
        }
        if (v.isNaN() || v.isInfinite() || v < 0) {
            throw new MemoryProbe.ProbeException(metric + " is " + v + " at " + uri);
        }
        return v;
    }
}

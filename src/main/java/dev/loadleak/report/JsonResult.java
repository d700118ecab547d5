package dev.loadleak.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loadleak.result.RunResult;
import dev.loadleak.scenario.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** result.json: written durably ({@link Durable}: forced to disk, then renamed into place), read back for re-rendering. */
public final class JsonResult {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonResult() {
    }

    /** Writes the result with every secret value replaced by ***. */
    public static void write(RunResult result, Path file, Redactor redactor) throws IOException {
        Durable.write(file, redactor.redact(toJson(result)).getBytes(StandardCharsets.UTF_8));
    }

    /** Any result shape as JSON (e.g. {@code hunt}'s ranking), written atomically, secrets redacted. */
    public static void writeAny(Object result, Path file, Redactor redactor) throws IOException {
        Durable.write(file, redactor.redact(MAPPER.writeValueAsString(result)).getBytes(StandardCharsets.UTF_8));
    }

    public static String toJson(RunResult result) throws IOException {
        return MAPPER.writeValueAsString(result);
    }

    public static RunResult read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunResult.class);
    }
}

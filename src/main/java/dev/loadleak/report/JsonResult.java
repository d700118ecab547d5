package dev.loadleak.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loadleak.analysis.RunResult;
import dev.loadleak.scenario.Redactor;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** result.json: written atomically (temp file, then rename), read back for re-rendering. */
public final class JsonResult {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonResult() {
    }

    /** Writes the result with every secret value replaced by ***. */
    public static void write(RunResult result, Path file, Redactor redactor) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".result", ".json.tmp");
        try {
            Files.writeString(tmp, redactor.redact(toJson(result)), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Any result shape as JSON (e.g. {@code hunt}'s ranking), written atomically, secrets redacted. */
    public static void writeAny(Object result, Path file, Redactor redactor) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".result", ".json.tmp");
        try {
            Files.writeString(tmp, redactor.redact(MAPPER.writeValueAsString(result)), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static String toJson(RunResult result) throws IOException {
        return MAPPER.writeValueAsString(result);
    }

    public static RunResult read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunResult.class);
    }
}

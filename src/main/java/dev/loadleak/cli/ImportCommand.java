package dev.loadleak.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loadleak.imports.HarImport;
import dev.loadleak.imports.OpenApiImport;
import dev.loadleak.report.Durable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak import openapi SPEC}: a scenario to start from, written from what the API documents. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Write a scenario from an API's description (OpenAPI) or a browser recording (HAR).",
        subcommands = {ImportCommand.OpenApi.class, ImportCommand.Har.class},
        footer = {"", "Examples:", "  loadleak import openapi petstore.yaml --target http://127.0.0.1:8080 -o petstore-smoke.yaml",
            "  loadleak import har recording.har -o flow.yaml"})
public class ImportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "openapi", mixinStandardHelpOptions = true,
            description = {"A scenario from an OpenAPI 3 document (YAML or JSON): a smoke flow calling every operation whose "
                + "parameters can be filled, expecting its documented success status, and a create/read/delete flow per "
                + "collection the paths make evident (POST /things, GET and DELETE /things/{id}), the id extracted from "
                + "the answer. Bearer and API-key schemes become ${env:…} placeholders."},
            footer = {"", "Examples:", "  loadleak import openapi openapi.json -o smoke.yaml",
                "  loadleak import openapi petstore.yaml --target http://127.0.0.1:8080 --name petstore"})
    static class OpenApi implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "SPEC", description = "The OpenAPI 3 document (.yaml, .yml or .json).")
        Path file;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the scenario to FILE (default: "
                + "the standard output).")
        Path output;
        @Option(names = "--target", paramLabel = "URL", description = "The base URL to test (default: the document's "
                + "first server, when it is an absolute URL).")
        String target;
        @Option(names = "--name", paramLabel = "NAME", description = "The scenario's name (default: the file's name).")
        String name;

        @Override
        public Integer call() throws IOException {
            JsonNode doc = read(file, new ObjectMapper(new YAMLFactory()), "YAML or JSON");
            if (target != null && !target.matches("https?://[^/@\\s]+(/.*)?")) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--target " + target + ": give an http(s) URL, "
                        + "e.g. http://127.0.0.1:8080");
            }
            String n = name != null ? name : file.getFileName().toString().replaceAll("\\.(ya?ml|json)$", "");
            OpenApiImport.Result r;
            try {
                r = OpenApiImport.convert(doc, n, target);
            } catch (IllegalArgumentException e) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, file + ": " + e.getMessage());
            }
            return emit(spec(), output, r.yaml(), List.of(), r.skipped(), r.env());
        }

        private picocli.CommandLine spec() {
            return spec.commandLine();
        }
    }

    @Command(name = "har", mixinStandardHelpOptions = true,
            description = {"A scenario from a browser recording (HAR, as Chrome's or Firefox's network panel exports it): "
                + "the target's requests in order as one flow with the recorded think times; static assets, other hosts "
                + "and CORS preflights left out. A value that first appears in an answer (a JSON field, a header, a cookie, "
                + "a hidden input) and is sent later becomes an extract and ${var}; passwords and tokens no answer gave become "
                + "${env:…}; cookies are left to each user's jar. No recorded secret is written."},
            footer = {"", "Examples:", "  loadleak import har recording.har -o flow.yaml",
                "  loadleak import har app.har --host http://127.0.0.1:8080 --name checkout"})
    static class Har implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The recording (.har).")
        Path file;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the scenario to FILE (default: "
                + "the standard output).")
        Path output;
        @Option(names = "--host", paramLabel = "URL", description = "The target to keep, e.g. http://127.0.0.1:8080 "
                + "(default: the host most requests went to).")
        String host;
        @Option(names = "--keep-static", description = "Keep scripts, styles, images and fonts.")
        boolean keepStatic;
        @Option(names = "--name", paramLabel = "NAME", description = "The scenario's name (default: the file's name).")
        String name;

        @Override
        public Integer call() throws IOException {
            JsonNode har = read(file, new ObjectMapper(), "JSON");
            String n = name != null ? name : file.getFileName().toString().replaceAll("\\.har$", "");
            HarImport.Result r;
            try {
                r = HarImport.convert(har, n, host, keepStatic);
            } catch (IllegalArgumentException e) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, file + ": " + e.getMessage());
            }
            return emit(spec.commandLine(), output, r.yaml(), r.correlated(), r.skipped(), r.env());
        }
    }

    /** {@code file} as a tree (an empty object for an empty file); unreadable is exit 2 with the parser's first line. */
    static JsonNode read(Path file, ObjectMapper mapper, String as) {
        try {
            JsonNode doc = mapper.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return doc == null ? mapper.createObjectNode() : doc;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new LoadleakException(ExitCodes.INVALID_INPUT, file + ": cannot read it as " + as + ": " + why);
        }
    }

    /** The scenario to {@code output} (or the standard output), then what was correlated, left out and must be set. */
    static int emit(picocli.CommandLine cl, Path output, String yaml, List<String> correlated, List<String> skipped,
                    java.util.Set<String> env) throws IOException {
        PrintWriter err = cl.getErr();
        if (output != null) {
            Durable.write(output, yaml.getBytes(StandardCharsets.UTF_8));
            cl.getOut().println("scenario: " + output + " (check it with 'loadleak validate " + output + "')");
        } else {
            cl.getOut().print(yaml);
        }
        correlated.forEach(c -> err.println("correlated: " + c));
        skipped.forEach(s -> err.println("left out: " + s));
        if (!env.isEmpty()) {
            err.println("set before running: " + String.join(", ", env));
        }
        cl.getOut().flush();
        err.flush();
        return ExitCodes.OK;
    }
}

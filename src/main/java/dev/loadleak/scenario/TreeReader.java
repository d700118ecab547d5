package dev.loadleak.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;

/** Reads YAML (or JSON, a subset of YAML) into a {@link Node} tree that keeps line and column. */
public final class TreeReader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonFactory JSON = new JsonFactory();

    private TreeReader() {
    }

    /**
     * @param file name used in problems
     * @throws InvalidScenarioException with one problem (its location) when the text is not YAML/JSON
     */
    public static Node read(String file, String text) throws InvalidScenarioException {
        JsonFactory factory = file.endsWith(".json") ? JSON : YAML;
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidScenarioException(List.of(
                        new Problem(file, 1, 1, "", "the file is empty", "see scenarios/README.md for the format")));
            }
            Node root = readValue(p, file);
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new InvalidScenarioException(List.of(new Problem(file, l.getLineNr(), l.getColumnNr(), "",
                        "more than one document in the file", "keep one scenario per file")));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
            int line = l == null ? 0 : l.getLineNr();
            throw new InvalidScenarioException(List.of(new Problem(file, line, l == null ? 0 : l.getColumnNr(), "",
                    "not valid " + (factory == JSON ? "JSON" : "YAML") + ": " + msg, hint(text, line))));
        } catch (IOException e) {
            throw new InvalidScenarioException(List.of(new Problem(file, 0, 0, "", "cannot read: " + e.getMessage(), null)));
        }
    }

    /** A hint for the usual YAML trap: a value with { } inside a flow list or map must be quoted. */
    static String hint(String text, int line) {
        String[] lines = text.split("\n", -1);
        String near = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        if (braceInFlow(near)) {
            return "quote a value that holds { } inside [ ] or { }, e.g. [\"p99{request=list} < 1s\"]";
        }
        return "check indentation and quoting near this line";
    }

    /**
     * A word character followed by '{' somewhere after a '[' or '{' (e.g. {@code [p99{request=x} < 1s]}):
     * one pass, where the regular expressions it replaces were quadratic on a long line.
     */
    static boolean braceInFlow(String line) {
        int open = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (open >= 0 && c == '{' && i - 1 > open && isWord(line.charAt(i - 1))) {
                return true;
            }
            if (open < 0 && (c == '[' || c == '{')) {
                open = i;
            }
        }
        return false;
    }

    private static boolean isWord(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static Node readValue(JsonParser p, String file) throws IOException, InvalidScenarioException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Node map = Node.map(line, col);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    if (map.get(key) != null) {
                        throw new InvalidScenarioException(List.of(new Problem(file, kl.getLineNr(), kl.getColumnNr(),
                                key, "duplicate key", "each key may appear once in a block")));
                    }
                    p.nextToken();
                    map.put(key, kl.getLineNr(), kl.getColumnNr(), readValue(p, file));
                }
                return map;
            }
            case START_ARRAY: {
                Node list = Node.list(line, col);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p, file));
                }
                return list;
            }
            case VALUE_NULL:
                return Node.scalar(line, col, null);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return Node.typedScalar(line, col, p.getText(), p.getNumberValue());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return Node.typedScalar(line, col, p.getText(), p.getBooleanValue());
            default:
                return Node.scalar(line, col, p.getText());
        }
    }
}

package dev.loadleak.scenario;

/**
 * One thing wrong with an input file: where (file:line:column), which key (a path such as
 * {@code phases[0].rate}), what is wrong, and how to fix it.
 */
public record Problem(String file, int line, int column, String path, String message, String hint) {

    /** {@code demo.yaml:12:9: phases[0].rate: "50/min" is not a rate (hint: write 50/s or 0.83/s)} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        sb.append(message);
        if (hint != null && !hint.isEmpty()) {
            sb.append(" (hint: ").append(hint).append(')');
        }
        return sb.toString();
    }
}

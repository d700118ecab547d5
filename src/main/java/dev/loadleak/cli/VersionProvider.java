package dev.loadleak.cli;

import picocli.CommandLine;

/** {@code loadleak --version}: the project version from the build, and the runtime. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        if (v == null) {
            v = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.application.version", String.class).orElse("dev");
        }
        return v;
    }

    @Override
    public String[] getVersion() {
        String v = version();
        return new String[] {"loadleak " + v,
                "runtime: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
    }
}

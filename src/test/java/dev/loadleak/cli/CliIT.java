package dev.loadleak.cli;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** Every CLI test again, against the packaged application (the jar, or the native executable with -Dnative). */
@QuarkusMainIntegrationTest
class CliIT extends CliTest {
}

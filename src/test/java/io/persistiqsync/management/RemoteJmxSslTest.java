package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/** Remote JMX with SSL on: a client that trusts the runtime's certificate connects; a plain one cannot. */
@Tag("integration")
class RemoteJmxSslTest {

    @Test
    void withSslOnlyAnSslClientGetsIn() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(1).campaigns(1))) {
            Path keystore = env.dir.resolve("jmx.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                    "-alias", "jmx", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                    "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                    .redirectErrorStream(true).start();
            assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, new String(keytool.getInputStream().readAllBytes()));

            int port = JmxClient.freePort();
            Path passwords = Files.writeString(env.dir.resolve("jmx.password"), "monitor s3cret\n");
            env.set("jmx.remote.enabled", "true").set("jmx.remote.host", "127.0.0.1").set("jmx.remote.port", Integer.toString(port))
                    .set("jmx.remote.password-file", passwords.toString()).set("jmx.remote.ssl", "true")
                    .set("jmx.remote.ssl-keystore", keystore.toString()).set("jmx.remote.ssl-keystore-password", "changeit");
            try (SyncRuntime runtime = env.start()) {
                assertThrows(Exception.class, () -> JmxClient.connect(port, "monitor", "s3cret").close(), "plain RMI is refused");

                // a client that trusts the certificate, as JConsole run with -J-Djavax.net.ssl.trustStore=... does
                SSLContext previous = SSLContext.getDefault();
                SSLContext.setDefault(trusting(keystore));
                try (JmxClient jmx = JmxClient.connect(JmxClient.url(port), "monitor", "s3cret",
                        Map.of("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory()))) {
                    assertEquals("users,leads,campaigns,lead_fields,lead_statuses", jmx.runtime("Streams"));
                } finally {
                    SSLContext.setDefault(previous);
                }
            }
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}

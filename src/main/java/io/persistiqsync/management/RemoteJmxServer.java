package io.persistiqsync.management;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote JMX for JConsole, VisualVM and monitoring agents: the platform MBean server (Camel's MBeans
 * and ours) over RMI, registry and connections on the one port {@code jmx.remote.port}, so a single
 * firewall opening suffices. Users and passwords come from a file in the JDK's format ({@code user password}
 * per line); SSL uses the keystore given, or the JVM's own ({@code javax.net.ssl.keyStore}).
 */
final class RemoteJmxServer {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJmxServer.class);

    private final Registry registry;
    private final JMXConnectorServer server;
    private final JMXServiceURL address;

    private RemoteJmxServer(Registry registry, JMXConnectorServer server, JMXServiceURL address) {
        this.registry = registry;
        this.server = server;
        this.address = address;
    }

    static RemoteJmxServer start(ManagementSettings s) throws Exception {
        String host = s.remoteJmxHost().isEmpty() ? null : s.remoteJmxHost();
        if (host != null && System.getProperty("java.rmi.server.hostname") == null) {
            // the address RMI writes into the stubs it hands out: clients connect back to it
            System.setProperty("java.rmi.server.hostname", host);
        }
        SSLContext ssl = s.remoteJmxSsl() ? sslContext(s) : null;
        RMIServerSocketFactory serverSockets = new BoundServerSockets(host == null ? null : InetAddress.getByName(host), ssl);
        RMIClientSocketFactory clientSockets = ssl == null ? null : new SslRMIClientSocketFactory();

        Registry registry = LocateRegistry.createRegistry(s.remoteJmxPort(), clientSockets, serverSockets);
        try {
            Map<String, Object> env = new HashMap<>();
            if (s.remoteJmxAuthenticate()) env.put("jmx.remote.x.password.file", s.passwordFile().toString());
            if (s.accessFile() != null) env.put("jmx.remote.x.access.file", s.accessFile().toString());
            String where = (host == null ? "localhost" : host) + ":" + s.remoteJmxPort();
            // the connector's server object, exported on the registry's port, and bound into the registry
            // directly (a lookup of our own registry over SSL would need our certificate in our trust store)
            RMIJRMPServerImpl rmiServer = new RMIJRMPServerImpl(s.remoteJmxPort(), clientSockets, serverSockets, env);
            JMXConnectorServer server = new RMIConnectorServer(new JMXServiceURL("service:jmx:rmi://" + where), env, rmiServer,
                    ManagementFactory.getPlatformMBeanServer());
            server.start();
            registry.rebind("jmxrmi", rmiServer.toStub());
            JMXServiceURL address = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + where + "/jmxrmi");
            LOG.info("remote JMX on {} ({}{})", address, s.remoteJmxAuthenticate() ? "password file" : "NO authentication",
                    ssl != null ? ", SSL" : "");
            return new RemoteJmxServer(registry, server, address);
        } catch (Exception e) {
            UnicastRemoteObject.unexportObject(registry, true);
            throw e;
        }
    }

    /** What JConsole and JMXConnectorFactory connect to. */
    JMXServiceURL address() {
        return address;
    }

    void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warn("stopping remote JMX: {}", e.getMessage());
        }
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (java.rmi.NoSuchObjectException ignored) {
            // already gone
        }
    }

    private static SSLContext sslContext(ManagementSettings s) throws Exception {
        if (s.sslKeystore() == null) return SSLContext.getDefault();
        char[] password = s.sslKeystorePassword().toCharArray();
        KeyStore keystore = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(s.sslKeystore())) {
            keystore.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keystore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /**
     * Server sockets on the configured address only (all addresses when none), plain or SSL. A record,
     * so two equal factories share one listening port (RMI's rule for registry and connector on one port).
     */
    private record BoundServerSockets(InetAddress address, SSLContext ssl) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            if (ssl == null) return new ServerSocket(port, 50, address);
            return ssl.getServerSocketFactory().createServerSocket(port, 50, address);
        }
    }
}

package io.persistiqsync.management;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A JMX client as JConsole is one: over the RMI connector on loopback, with a user and password. */
final class JmxClient implements AutoCloseable {
    final JMXConnector connector;
    final MBeanServerConnection server;

    private JmxClient(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    static JMXServiceURL url(int port) throws IOException {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    }

    static JmxClient connect(int port, String user, String password) throws IOException {
        return connect(url(port), user, password, Map.of());
    }

    static JmxClient connect(JMXServiceURL url, String user, String password, Map<String, Object> extra) throws IOException {
        Map<String, Object> env = new HashMap<>(extra);
        if (user != null) env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
        return new JmxClient(JMXConnectorFactory.connect(url, env));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Object get(ObjectName name, String attribute) throws Exception {
        return server.getAttribute(name, attribute);
    }

    Object stream(String stream, String attribute) throws Exception {
        return get(Operations.streamName(stream), attribute);
    }

    long streamLong(String stream, String attribute) throws Exception {
        return ((Number) stream(stream, attribute)).longValue();
    }

    Object runtime(String attribute) throws Exception {
        return get(Operations.runtimeName(), attribute);
    }

    Object invoke(ObjectName name, String operation) throws Exception {
        return server.invoke(name, operation, new Object[0], new String[0]);
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}

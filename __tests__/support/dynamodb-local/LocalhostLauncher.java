import java.io.IOException;
import java.lang.reflect.Field;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

/**
 * Starts AWS DynamoDB Local bound to a loopback address only.
 *
 * DynamoDB Local (1.25.x) has no listen-address option: DynamoDBProxyServer creates
 * {@code new org.eclipse.jetty.server.Server(port)}, whose single ServerConnector has no host and
 * therefore binds every interface. This launcher lets DynamoDB Local parse its own command line and
 * build the (not yet started) proxy server, reads the private Jetty {@code server} field by reflection,
 * sets the host of every connector, and only then starts Jetty.
 *
 * Arguments are DynamoDB Local's own (e.g. {@code -inMemory -sharedDb -port 8000}).
 * System properties:
 *   ddblocal.host              listen address (default 127.0.0.1)
 *   ddblocal.exitOnStdinEof    if "true", exit as soon as stdin reaches EOF (parent process gone)
 *
 * On success a single line "DYNAMODB_LOCAL_READY host:port" is printed to stdout.
 */
public final class LocalhostLauncher {
  private LocalhostLauncher() {}

  public static void main(String[] args) throws Exception {
    String host = System.getProperty("ddblocal.host", "127.0.0.1");

    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);

    Field serverField = DynamoDBProxyServer.class.getDeclaredField("server");
    serverField.setAccessible(true);
    Server jetty = (Server) serverField.get(proxy);

    Connector[] connectors = jetty.getConnectors();
    if (connectors == null || connectors.length == 0) {
      fail("DynamoDB Local's Jetty server has no connectors; cannot restrict the listen address");
    }
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        fail("Unexpected Jetty connector type " + connector.getClass().getName()
            + "; cannot restrict the listen address");
      }
      ((ServerConnector) connector).setHost(host);
    }

    if (Boolean.getBoolean("ddblocal.exitOnStdinEof")) {
      Thread watchdog = new Thread(LocalhostLauncher::exitOnStdinEof, "stdin-eof-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }

    try {
      // safeStart() starts Jetty without DynamoDB Local's telemetry and without swallowing bind errors.
      proxy.safeStart();
    } catch (Exception e) {
      System.err.println("DynamoDB Local failed to start: " + e);
      e.printStackTrace(System.err);
      Runtime.getRuntime().halt(2);
    }

    for (Connector connector : connectors) {
      ServerConnector serverConnector = (ServerConnector) connector;
      if (!host.equals(serverConnector.getHost())) {
        fail("Connector host changed after start: " + serverConnector.getHost());
      }
      System.out.println("DYNAMODB_LOCAL_READY " + serverConnector.getHost() + ":" + serverConnector.getLocalPort());
    }
    System.out.flush();

    proxy.join();
  }

  private static void exitOnStdinEof() {
    try {
      byte[] buffer = new byte[256];
      while (System.in.read(buffer) != -1) {
        // Ignore input; only EOF matters.
      }
    } catch (IOException ignored) {
      // Treat a broken stdin like EOF.
    }
    Runtime.getRuntime().halt(0);
  }

  private static void fail(String message) {
    System.err.println(message);
    Runtime.getRuntime().halt(3);
  }
}

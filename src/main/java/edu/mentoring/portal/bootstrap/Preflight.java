package edu.mentoring.portal.bootstrap;

import io.vertx.pgclient.PgConnectOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * What would make start-up fail half-way, checked before anything is started: the HTTP port, the data directory,
 * the cluster's address and ports, the database. Each failure is one {@link ConfigException} naming the setting and
 * what to do, instead of a stack trace after the database and migrations already ran.
 */
final class Preflight {
  /** How long the database may take to accept a connection before start-up gives up on it. */
  static final int DB_CONNECT_TIMEOUT_SECONDS = 5;

  private Preflight() {
  }

  /** The HTTP port must be free now (0 means any free port: nothing to check). */
  static void httpPort(PortalConfig config) {
    if (config.httpPort() == 0) return;
    if (!bindable(config.httpHost(), config.httpPort())) {
      throw new ConfigException(PortalConfig.HTTP_PORT, "port " + config.httpPort() + " on " + config.httpHost()
        + " is already in use: stop what listens there or choose another port");
    }
  }

  /** An extra listener (metrics) must be free as well. */
  static void port(String setting, String host, int port) {
    if (port == 0) return;
    if (!bindable(host, port)) {
      throw new ConfigException(setting, "port " + port + " on " + host
        + " is already in use: stop what listens there or choose another port");
    }
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      // as the HTTP server binds (SO_REUSEADDR): a port in TIME_WAIT is usable, one with a listener is not
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The cluster's address must be one of this machine's, and one of its Hazelcast ports free; otherwise the node
   * could never join (Hazelcast would fail deep inside its start, or wait).
   */
  static void cluster(PortalConfig config) {
    if (!config.clustered()) return;
    String host = config.clusterHost();
    if (host != null) {
      InetAddress address;
      try {
        address = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new ConfigException(PortalConfig.CLUSTER_HOST, "'" + host + "' is not a known host name or address");
      }
      boolean local;
      try {
        local = address.isLoopbackAddress() || address.isAnyLocalAddress()
          || NetworkInterface.getByInetAddress(address) != null;
      } catch (IOException e) {
        local = false;
      }
      if (!local) {
        throw new ConfigException(PortalConfig.CLUSTER_HOST, host + " is not an address of this machine: set it to"
          + " the address the other nodes reach this one at");
      }
    }
    String bindHost = host != null ? host : "0.0.0.0";
    for (int p = config.clusterPort(); p < config.clusterPort() + ClusterSetup.PORT_COUNT && p <= 65535; p++) {
      if (bindable(bindHost, p)) return;
    }
    throw new ConfigException(PortalConfig.CLUSTER_PORT, "ports " + config.clusterPort() + "–"
      + (config.clusterPort() + ClusterSetup.PORT_COUNT - 1) + " on " + bindHost + " are all in use: this machine"
      + " runs too many nodes, or something else uses them; choose another " + PortalConfig.CLUSTER_PORT);
  }

  /**
   * An external database must accept a connection with the configured user and database, within a few seconds;
   * the message says which of the three is wrong.
   */
  static void database(PgConnectOptions db) {
    String where = db.getHost() + ":" + db.getPort();
    Properties props = new Properties();
    props.setProperty("user", db.getUser() == null ? "" : db.getUser());
    if (db.getPassword() != null) props.setProperty("password", db.getPassword());
    props.setProperty("connectTimeout", Integer.toString(DB_CONNECT_TIMEOUT_SECONDS));
    props.setProperty("socketTimeout", Integer.toString(DB_CONNECT_TIMEOUT_SECONDS));
    props.setProperty("loginTimeout", Integer.toString(DB_CONNECT_TIMEOUT_SECONDS));
    String url = "jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase();
    try (Connection ignored = DriverManager.getConnection(url, props)) {
      // reachable, signed in, the database exists
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String problem = switch (state) {
        case "28P01", "28000" -> "PostgreSQL at " + where + " refused user '" + db.getUser()
          + "' (wrong password or no such role): fix the user and password in it";
        case "3D000" -> "PostgreSQL at " + where + " has no database '" + db.getDatabase()
          + "': create it (createdb) or name an existing one";
        default -> state.startsWith("08") || state.isEmpty()
          ? "cannot reach PostgreSQL at " + where + " (" + firstLine(e) + "): start it, or fix the host and port"
          : "PostgreSQL at " + where + " refused the connection (" + state + " " + firstLine(e) + ")";
      };
      throw new ConfigException(PortalConfig.DB_URL, problem);
    }
  }

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /**
   * The data directory belongs to one node at a time (its embedded PostgreSQL and JWT secret): an exclusive lock on
   * {@code <dir>/node.lock}, held until {@link DataDirLock#close()}, which the operating system also releases when
   * the process dies.
   */
  static DataDirLock lockDataDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException(PortalConfig.DATA_DIR, "cannot create " + dir + " (" + e.getMessage()
        + "): choose a directory this user may write");
    }
    Path file = dir.resolve("node.lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) throw inUse(dir);
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
        .getBytes(StandardCharsets.UTF_8)));
      return new DataDirLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      close(channel);
      throw inUse(dir); // another node in this same JVM holds it
    } catch (ConfigException e) {
      close(channel);
      throw e;
    } catch (IOException e) {
      close(channel);
      throw new ConfigException(PortalConfig.DATA_DIR, "cannot lock " + file + " (" + e.getMessage()
        + "): choose a directory this user may write");
    }
  }

  private static ConfigException inUse(Path dir) {
    return new ConfigException(PortalConfig.DATA_DIR, dir + " is in use by another portal node: stop that node,"
      + " or give this one its own directory");
  }

  private static void close(FileChannel channel) {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to release
    }
  }

  /** The data directory's lock; closing it lets the next node have the directory. */
  record DataDirLock(FileChannel channel, FileLock lock) implements AutoCloseable {
    @Override
    public void close() {
      try {
        lock.release();
      } catch (IOException ignored) {
        // released with the channel
      }
      Preflight.close(channel);
    }
  }
}

package edu.mentoring.portal.bootstrap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The embedded PostgreSQL requires a password of its own, generated once and kept in the data directory")
class EmbeddedPasswordTest {

  @Test
  @DisplayName("a connection without the password or with a wrong one is refused, with it accepted; the owner-only file keeps it across restarts; the printed URL carries none")
  void passwordRequired() throws Exception {
    Path dir = Files.createTempDirectory("portal-embedded-pw");
    try {
      String first;
      try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
        Path file = dir.resolve(EmbeddedDatabase.PASSWORD_FILE);
        assertTrue(Files.isReadable(file), "the password is kept in the data directory");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        first = Files.readString(file).strip();
        assertTrue(first.length() >= 32, "a long random password");
        assertRefused(db.port(), "");
        assertRefused(db.port(), "wrong-" + first);
        assertAccepted(db.port(), first);
        assertFalse(db.displayUrl(EmbeddedDatabase.DATABASE).contains(first), "never printed");
      }
      try (EmbeddedDatabase again = EmbeddedDatabase.start(dir)) {
        assertEquals(first, Files.readString(dir.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip(), "kept, not replaced");
        assertRefused(again.port(), "");
        assertAccepted(again.port(), first);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void assertAccepted(int port, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(port), "postgres", password)) {
      assertTrue(c.isValid(5));
    }
  }

  private static void assertRefused(int port, String password) {
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url(port), "postgres", password).close());
    assertTrue("28P01".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("password"), e.toString());
  }

  private static String url(int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedDatabase.DATABASE;
  }
}

package edu.mentoring.portal.common;

/** Keys of the JSON configuration every verticle receives through {@code DeploymentOptions.setConfig}. */
public final class ConfigKeys {
  public static final String HTTP_PORT = "httpPort";
  public static final String HTTP_HOST = "httpHost";
  /** {@code {host, port, database, user, password, poolSize, waitQueueSize, statementTimeoutMs, ...}}: see Db */
  public static final String DB = "db";
  public static final String JWT_SECRET = "jwtSecret";
  public static final String JWT_TTL_MINUTES = "jwtTtlMinutes";
  public static final String ALLOWED_ORIGINS = "allowedOrigins";
  public static final String BCRYPT_COST = "bcryptCost";
  /** Worker threads that run bcrypt, and how many more sign-ins may wait for one (beyond: 503). */
  public static final String BCRYPT_THREADS = "bcryptThreads";
  public static final String BCRYPT_QUEUE = "bcryptQueue";
  /** Bus requests the node's HTTP verticles keep in flight at most (beyond: 503), shared among its instances. */
  public static final String HTTP_MAX_IN_FLIGHT = "httpMaxInFlight";
  public static final String HTTP_INSTANCES = "httpInstances";
  public static final String CLUSTERED = "clustered";
  public static final String NODE_NAME = "nodeName";
  public static final String WEBROOT = "webroot";
  /** {@code /metrics} on the HTTP port for a scraper showing this bearer token; absent: not served there. */
  public static final String METRICS_TOKEN = "metricsToken";
  /** A listener of its own for {@code /metrics} (no token), on the HTTP host; 0: none. */
  public static final String METRICS_PORT = "metricsPort";
  /** Served over TLS (by this node or a proxy in front): answers carry Strict-Transport-Security. */
  public static final String HSTS = "hsts";
  /** {@code invitation} | {@code open} | {@code off}: who may sign up (docs/api.md, Invitations). */
  public static final String SELF_REGISTRATION = "selfRegistration";
  /** Sign-in failures per account, and per client address, before a lock of {@link #SIGN_IN_LOCK_SECONDS}. */
  public static final String SIGN_IN_MAX_FAILURES = "signInMaxFailures";
  public static final String SIGN_IN_MAX_FAILURES_PER_ADDRESS = "signInMaxFailuresPerAddress";
  public static final String SIGN_IN_LOCK_SECONDS = "signInLockSeconds";
  /** Sign-ups one client address may make per hour. */
  public static final String SIGN_UPS_PER_ADDRESS_PER_HOUR = "signUpsPerAddressPerHour";

  private ConfigKeys() {
  }
}

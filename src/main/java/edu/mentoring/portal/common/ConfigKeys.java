package edu.mentoring.portal.common;

/** Keys of the JSON configuration every verticle receives through {@code DeploymentOptions.setConfig}. */
public final class ConfigKeys {
  public static final String HTTP_PORT = "httpPort";
  public static final String HTTP_HOST = "httpHost";
  /** {@code {host, port, database, user, password, poolSize}} */
  public static final String DB = "db";
  public static final String JWT_SECRET = "jwtSecret";
  public static final String JWT_TTL_MINUTES = "jwtTtlMinutes";
  public static final String ALLOWED_ORIGINS = "allowedOrigins";
  public static final String BCRYPT_COST = "bcryptCost";
  public static final String CLUSTERED = "clustered";
  public static final String NODE_NAME = "nodeName";
  public static final String WEBROOT = "webroot";

  private ConfigKeys() {
  }
}

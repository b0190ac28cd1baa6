package edu.mentoring.portal.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * The headers every page and API answer carries (docs/security.md): a Content-Security-Policy that allows no inline
 * script and no framing, no referrer, no MIME sniffing, no powerful browser features; HSTS when served over TLS.
 */
final class SecurityHeaders {
  /** Same-origin scripts, styles, XHR and the SockJS WebSocket only; nothing inline, nothing may frame the portal. */
  static final String CSP = String.join("; ",
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'");
  static final String PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
  static final String HSTS = "max-age=31536000; includeSubDomains";

  private final boolean hsts;

  SecurityHeaders(boolean hsts) {
    this.hsts = hsts;
  }

  void apply(HttpServerResponse response) {
    response.putHeader("Content-Security-Policy", CSP)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("X-Frame-Options", "DENY")
      .putHeader("Referrer-Policy", "no-referrer")
      .putHeader("Permissions-Policy", PERMISSIONS)
      .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    if (hsts) response.putHeader("Strict-Transport-Security", HSTS);
  }
}

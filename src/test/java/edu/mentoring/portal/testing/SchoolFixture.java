package edu.mentoring.portal.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * A whole portal on a fresh database and a {@link School} built through its API, for one test class:
 * <pre>
 * &#64;RegisterExtension
 * static final SchoolFixture FIXTURE = new SchoolFixture();
 * private static TestPortal portal;   // filled before the first test, closed after the last
 * private static Api api;
 * private static School school;
 * </pre>
 * It fills the class's own static fields of those types, so each class keeps its state to itself.
 */
public final class SchoolFixture implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> settings;
  private TestPortal portal;
  private School school;

  public SchoolFixture() {
    this(Map.of());
  }

  /** {@code settings}: PORTAL_* overrides for this class's node. */
  public SchoolFixture(Map<String, String> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    portal = TestPortal.start(settings);
    Api api = portal.api();
    school = School.build(api);
    for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) continue;
      Object value = field.getType() == TestPortal.class ? portal
        : field.getType() == Api.class ? api
        : field.getType() == School.class ? school : null;
      if (value != null) {
        field.setAccessible(true);
        field.set(null, value);
      }
    }
  }

  /** The class's portal and school, for fixtures built on this one (after {@link #beforeAll}). */
  public TestPortal portal() {
    return portal;
  }

  public School school() {
    return school;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (portal != null) portal.close();
  }
}

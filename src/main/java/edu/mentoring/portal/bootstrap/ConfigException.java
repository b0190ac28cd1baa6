package edu.mentoring.portal.bootstrap;

/** A setting that stops start-up; the message names the setting. */
public class ConfigException extends RuntimeException {
  public ConfigException(String setting, String problem) {
    super(setting + ": " + problem);
  }
}

package io.cassandraoperator.agent.config;

import java.nio.file.Path;

/** Where the rendered configuration lives. */
public record ConfigFiles(Path cassandraYaml, Path rackDcProperties, Path logbackXml) {
}

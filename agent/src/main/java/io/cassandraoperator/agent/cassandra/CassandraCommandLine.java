package io.cassandraoperator.agent.cassandra;

import io.cassandraoperator.agent.config.AgentSettings;
import io.cassandraoperator.agent.config.ConfigFiles;
import io.cassandraoperator.agent.config.UserJvmOptions;
import io.cassandraoperator.agent.metrics.MetricsExporter;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The command that starts Cassandra in the foreground as the agent's child. */
public final class CassandraCommandLine {

    public static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

    /** Cassandra 5.0's {@code conf/jvm17-server.options} (JPMS, G1 and Netty parts); it ships outside the jar. */
    static final List<String> JVM17_SERVER_OPTIONS = List.of(
            "-XX:+UseG1GC",
            "-XX:+ParallelRefProcEnabled",
            "-XX:MaxTenuringThreshold=1",
            "-XX:G1HeapRegionSize=16m",
            "-XX:G1RSetUpdatingPauseTimePercent=5",
            "-XX:MaxGCPauseMillis=300",
            "-XX:InitiatingHeapOccupancyPercent=70",
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    /**
     * Not in that file: Cassandra's password-file JMX authentication instantiates the JDK's JMXPluggableAuthenticator,
     * which JDK 17 only allows with this export (Cassandra's own test JVMs carry it too).
     */
    static final List<String> JMX_AUTHENTICATION_EXPORTS = List.of(
            "--add-exports", "java.management/com.sun.jmx.remote.security=ALL-UNNAMED");

    private CassandraCommandLine() {
    }

    /**
     * @param replaceAddress the address of the dead member this one replaces, when it starts on an empty disk
     *                       and a replacement was asked for
     * @param metrics        the metrics exporter to run inside Cassandra, if any
     */
    public static List<String> build(String javaBinary, AgentSettings settings, ConfigFiles config, JmxAccess jmx,
                                     Optional<String> replaceAddress, Optional<MetricsExporter> metrics) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary);
        command.add("-Xms" + settings.maxHeap());
        command.add("-Xmx" + settings.maxHeap());
        command.add("-Djava.net.preferIPv4Stack=true");
        // After an OutOfMemoryError Cassandra's state is unknown: exit, and the agent's exit restarts the container.
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(JVM17_SERVER_OPTIONS);
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.config=" + config.cassandraYaml().toUri());
        command.add("-Dcassandra-rackdc.properties=" + config.rackDcProperties().toUri());
        command.add("-Dlogback.configurationFile=" + config.logbackXml().toUri());
        command.add("-Dcassandra.storagedir=" + settings.dataDir());
        command.add("-Dcassandra.logdir=" + settings.dataDir().resolve("logs"));
        // Local JMX binds to 127.0.0.1 only; the password keeps out other pods sharing the loopback.
        command.add("-Dcassandra.jmx.local.port=" + jmx.port());
        command.addAll(JMX_AUTHENTICATION_EXPORTS);
        command.add("-Dcom.sun.management.jmxremote.authenticate=true");
        command.add("-Dcom.sun.management.jmxremote.password.file=" + jmx.passwordFile());
        command.add("-Dcom.sun.management.jmxremote.access.file=" + jmx.accessFile());
        replaceAddress.ifPresent(address -> command.add("-Dcassandra.replace_address_first_boot=" + address));
        metrics.ifPresent(exporter -> command.add(exporter.javaAgentOption()));
        command.addAll(settings.extraJvmOptions());
        // The rack's own options last, so that they win over the image's and the agent's defaults (heap, GC).
        command.addAll(UserJvmOptions.read(settings.userConfigDir()));
        command.add("-cp");
        command.add(classpath(settings));
        command.add(MAIN_CLASS);
        return command;
    }

    public static String classpath(AgentSettings settings) {
        return settings.pluginsDir()
                .map(plugins -> settings.cassandraClasspath() + File.pathSeparator + plugins.resolve("*"))
                .orElse(settings.cassandraClasspath());
    }
}

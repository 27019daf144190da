package io.cassandraoperator.local.cli;

import io.cassandraoperator.local.ControlPlane;
import io.cassandraoperator.local.kubelet.ImageCatalog;
import io.cassandraoperator.local.kubelet.Kubelet;
import io.cassandraoperator.local.kubelet.KubeletSettings;
import io.cassandraoperator.local.kubelet.RecordedProcess;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

/**
 * The runtime itself, started in the background by {@code up}: API server, controllers, proxy, kubelet and the
 * operators (one, or {@code --operators N} behind one Lease). SIGTERM ({@code down}) stops the operator, then every pod gracefully, then the API (which saves its objects).
 */
@Command(name = "daemon", hidden = true, description = "Runs the local runtime in the foreground.")
final class DaemonCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonCommand.class);

    @ParentCommand
    CassandraLocal parent;

    @Option(names = "--operators", defaultValue = "1", description = "operator processes, one leader and standbys")
    int operatorCount;

    @Override
    public Integer call() throws Exception {
        StateDirectory state = parent.state();
        Files.createDirectories(state.root());
        RecordedProcess.write(state.daemonPid(), ProcessHandle.current());
        ControlPlane plane = ControlPlane.start(state.root(), 0);
        KubernetesClient client = plane.newClient();
        Kubelet kubelet = new Kubelet(client, new ImageCatalog().registerBundledCassandra(parent.projectDir()).registerBundledS3Proxy(parent.projectDir()),
                plane.podAddresses(), KubeletSettings.defaults(state.root())).start();
        plane.setPodLogSource(kubelet.logs());
        plane.setPodExecSource(kubelet);
        grantOperatorPermissions(plane, client, state);
        List<OperatorProcess> operators = IntStream.rangeClosed(1, operatorCount)
                .mapToObj(slot -> new OperatorProcess(state, System.getProperty("java.class.path"), slot).start()).toList();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping the local runtime: operator, then pods, then the control plane");
            try {
                // All at once: stopped one after the other, a standby could take the Lease of the first meanwhile.
                operators.parallelStream().forEach(OperatorProcess::close);
                kubelet.close();
                client.close();
                plane.close();
                Files.deleteIfExists(state.ready());
                Files.deleteIfExists(state.daemonPid());
                LOG.info("local runtime stopped; state kept in {}", state.root());
            } catch (Exception e) {
                LOG.error("stopping the local runtime failed", e);
            } finally {
                stopped.countDown();
            }
        }, "runtime-shutdown"));
        Files.writeString(state.ready(), plane.apiUrl() + "\n");
        LOG.info("local runtime up: API {}, kubeconfig {}", plane.apiUrl(), plane.kubeconfig());
        stopped.await();
        return 0;
    }

    /** deploy/'s ServiceAccount and RBAC, applied anew at every start, and a kubeconfig with that account's token. */
    private void grantOperatorPermissions(ControlPlane plane, KubernetesClient client, StateDirectory state) {
        OperatorRbac rbac = OperatorRbac.of(parent.projectDir());
        new ManifestApplier(client).apply(rbac.objects()).forEach(result -> LOG.info("{}: {}", OperatorRbac.OVERLAY, result));
        ServiceAccount account = rbac.serviceAccount();
        plane.writeServiceAccountKubeconfig(account.getMetadata().getNamespace(), account.getMetadata().getName(),
                state.operatorKubeconfig());
        LOG.info("the operator authenticates as ServiceAccount {}/{} with the permissions of {}",
                account.getMetadata().getNamespace(), account.getMetadata().getName(), OperatorRbac.OVERLAY);
    }
}

package io.cassandraoperator.local.apiserver;

import io.fabric8.kubernetes.client.Config;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;

/** Plain HTTP requests as a kubeconfig's user: its server, trusting its CA only, with its bearer token. */
public final class KubeconfigHttp {
    private final String server;
    private final String token;
    private final SSLContext tls;

    private KubeconfigHttp(String server, String token, SSLContext tls) {
        this.server = server;
        this.token = token;
        this.tls = tls;
    }

    public static KubeconfigHttp of(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Base64.getDecoder().decode(config.getCaCertData()))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        String server = config.getMasterUrl().replaceAll("/+$", "");
        return new KubeconfigHttp(server, config.getAutoOAuthToken(), tls);
    }

    /** HTTP/1.1 as kubectl speaks it. */
    public HttpClient client() {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A request to a path of the server, with the token. */
    public HttpRequest.Builder request(String path) {
        return anonymous(path).header("Authorization", "Bearer " + token);
    }

    /** A request to a path of the server without any credentials. */
    public HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(server + path));
    }
}

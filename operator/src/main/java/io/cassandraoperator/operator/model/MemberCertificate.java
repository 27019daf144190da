package io.cassandraoperator.operator.model;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A member's certificate and its private key, as the cluster CA issued them. */
public record MemberCertificate(X509Certificate certificate, PrivateKey key) {
}

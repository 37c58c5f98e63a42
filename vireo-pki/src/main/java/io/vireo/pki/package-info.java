/**
 * Vireo's public-key infrastructure: the server's certificate authority ({@link io.vireo.pki.CertificateAuthority}),
 * which signs the certificates that bind a host agent to its host id and the server replicas' TLS certificates; the
 * agents' certificate requests ({@link io.vireo.pki.CertificateRequests}); the CA key sealed at rest
 * ({@link io.vireo.pki.SealedKeys}); PEM files; and the trust manager that pins the CA by its fingerprint while an
 * agent enrolls ({@link io.vireo.pki.PinnedCaTrustManager}).
 *
 * <p>Keys are EC P-256 made by the JDK's providers; BouncyCastle only builds and parses the ASN.1 structures
 * (certificates and PKCS#10 requests), so it is never installed as a security provider.
 */
@NullMarked
package io.vireo.pki;

import org.jspecify.annotations.NullMarked;

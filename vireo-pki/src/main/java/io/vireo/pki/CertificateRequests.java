package io.vireo.pki;

import io.vireo.common.ErrorCode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certificate requests: an agent makes one for a fresh key pair, the CA checks it was signed by the key it
 * asks a certificate for (proof that the requester holds the private key). The subject an agent writes is ignored:
 * the CA names the host itself. Thread-safe (stateless).
 */
public final class CertificateRequests {
    /** The largest request accepted, in bytes: a P-256 request is about 200. */
    public static final int MAX_REQUEST_BYTES = 4096;

    private CertificateRequests() {}

    /** A DER-encoded request for {@code keys}' public key, signed with its private key. */
    public static byte[] create(KeyPair keys, String commonName) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), keys.getPublic())
                    .build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw PkiException.internal("cannot make a certificate request", e);
        }
    }

    /** The public key of the request in {@code der}, once its signature is checked. */
    public static PublicKey verifiedPublicKey(byte[] der) {
        if (der.length == 0 || der.length > MAX_REQUEST_BYTES) {
            throw new PkiException(
                    ErrorCode.INVALID_ARGUMENT,
                    "a certificate request has 1 to " + MAX_REQUEST_BYTES + " bytes, not " + der.length);
        }
        JcaPKCS10CertificationRequest request;
        try {
            request = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(der));
        } catch (IOException | RuntimeException e) {
            throw PkiException.invalid("not a PKCS#10 certificate request", e);
        }
        try {
            if (!request.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()))) {
                throw new PkiException(
                        ErrorCode.INVALID_ARGUMENT, "the certificate request is not signed by its own key");
            }
            PublicKey key = request.getPublicKey();
            if (!key.getAlgorithm().equals("EC")) {
                throw new PkiException(
                        ErrorCode.INVALID_ARGUMENT,
                        "a certificate request must be for an EC key, not " + key.getAlgorithm());
            }
            return key;
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw PkiException.invalid("the certificate request cannot be verified", e);
        }
    }
}

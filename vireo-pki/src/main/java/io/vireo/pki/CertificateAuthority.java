package io.vireo.pki;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's certificate authority: one self-signed EC P-256 certificate and its key, shared by every replica. It
 * signs two kinds of certificates:
 *
 * <ul>
 *   <li>a host's, bound to the host id by a URI subject alternative name ({@link Certificates#hostId}); the subject
 *       the agent asked for is ignored. It is a TLS client certificate (the agent's stream) and, for the live
 *       migration and disk-copy streams between hosts (ADR 20), a server certificate for the DNS name
 *       {@link Certificates#hostDnsName} with the subject {@link Certificates#hostDistinguishedName};
 *   <li>a server replica's, for TLS servers only, for the DNS name {@link #SERVER_NAME} (which agents verify) and
 *       any other names the replica is reached by.
 * </ul>
 *
 * <p>Every certificate starts {@link #CLOCK_SKEW} before it is made, so that a host whose clock is a little behind
 * accepts it. Serial numbers are 128 random bits. Thread-safe: immutable.
 */
public final class CertificateAuthority {
    /** The DNS name every server replica's certificate carries, and the name agents check. */
    public static final String SERVER_NAME = "vireo-server";

    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final SecureRandom random;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key, SecureRandom random) {
        this.certificate = certificate;
        this.key = key;
        this.random = random;
    }

    /** A new authority with a fresh key, valid for {@code validity} from {@code now}. */
    public static CertificateAuthority create(Instant now, Duration validity, SecureRandom random) {
        KeyPair keys = KeyPairs.generate(random);
        byte[] suffix = new byte[6];
        random.nextBytes(suffix);
        X500Name name = new X500Name("CN=Vireo CA " + HexFormat.of().formatHex(suffix) + ",O=Vireo");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name,
                serial(random),
                Date.from(now.minus(CLOCK_SKEW)),
                Date.from(now.plus(validity)),
                name,
                keys.getPublic());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw PkiException.internal("cannot make the CA certificate", e);
        }
        return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate(), random);
    }

    /** The authority of a stored certificate and its key; fails if they do not belong together. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey key, SecureRandom random) {
        requireNonNull(certificate, "certificate is null");
        requireNonNull(key, "key is null");
        try {
            byte[] probe = new byte[32];
            random.nextBytes(probe);
            Signature signer = Signature.getInstance(KeyPairs.SIGNATURE_ALGORITHM);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(KeyPairs.SIGNATURE_ALGORITHM);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new PkiException(ErrorCode.INTERNAL, "the CA key does not match the CA certificate");
            }
        } catch (GeneralSecurityException e) {
            throw PkiException.internal("the CA key does not match the CA certificate", e);
        }
        CertificateAuthority authority = new CertificateAuthority(certificate, key, random);
        return authority;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA's private key, for sealing it at rest ({@link SealedKeys}); never sent anywhere. */
    public PrivateKey privateKey() {
        return key;
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(certificate);
    }

    /**
     * A TLS client and server certificate for host {@code hostId}, for the key of the verified request {@code request} (DER), valid
     * for {@code validity} from {@code now} but never past the CA's own end.
     */
    public X509Certificate issueHostCertificate(byte[] request, UUID hostId, Instant now, Duration validity) {
        PublicKey subjectKey = CertificateRequests.verifiedPublicKey(request);
        // key encipherment too: QEMU 7.2 refuses a certificate whose critical key usage lacks it, whatever the key
        X509v3CertificateBuilder builder = builder(
                new X500Name("CN=" + hostId + ",O=Vireo hosts"),
                subjectKey,
                now,
                validity,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        try {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.uniformResourceIdentifier, Certificates.HOST_URI_PREFIX + hostId),
                        new GeneralName(GeneralName.dNSName, Certificates.hostDnsName(hostId))
                    }))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth
                    }));
        } catch (CertIOException e) {
            throw PkiException.internal("cannot make a host certificate", e);
        }
        return sign(builder, key);
    }

    /**
     * A TLS server certificate for a replica's {@code publicKey}: DNS names {@link #SERVER_NAME} and {@code otherNames}
     * (an IP address literal becomes an IP address name).
     */
    public X509Certificate issueServerCertificate(
            PublicKey publicKey, List<String> otherNames, Instant now, Duration validity) {
        X509v3CertificateBuilder builder = builder(
                new X500Name("CN=" + SERVER_NAME + ",O=Vireo"), publicKey, now, validity, KeyUsage.digitalSignature);
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, SERVER_NAME));
        for (String name : otherNames) {
            names.add(new GeneralName(isIpAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        try {
            builder.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        } catch (CertIOException e) {
            throw PkiException.internal("cannot make a server certificate", e);
        }
        return sign(builder, key);
    }

    private X509v3CertificateBuilder builder(
            X500Name subject, PublicKey subjectKey, Instant now, Duration validity, int keyUsage) {
        Instant end = now.plus(validity);
        Instant caEnd = certificate.getNotAfter().toInstant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                certificate,
                serial(random),
                Date.from(now.minus(CLOCK_SKEW)),
                Date.from(end.isAfter(caEnd) ? caEnd : end),
                subject,
                subjectKey);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(certificate))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
        } catch (CertIOException | GeneralSecurityException e) {
            throw PkiException.internal("cannot make a certificate", e);
        }
        return builder;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM).build(signer)));
        } catch (OperatorCreationException | CertificateException e) {
            throw PkiException.internal("cannot sign a certificate", e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(128, random).setBit(127); // positive, and always 16 bytes long
    }

    private static boolean isIpAddress(String name) {
        return name.contains(":") || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Makes the key pair Qingliu's services verify bearer tokens with, and mints tokens signed by it.
 * Plain JDK, run from source (deploy/local/token is the wrapper):
 *
 * <pre>
 *   java deploy/local/Token.java keys [--dir DIR]
 *   java deploy/local/Token.java mint --role viewer|planner|county|admin [--county CODE] [--subject NAME] [--hours N] [--dir DIR]
 * </pre>
 *
 * {@code keys} makes an RSA-2048 pair in DIR unless one is there: {@code private.pem} (PKCS#8,
 * readable only by its owner) and {@code public.pem} (X.509 SubjectPublicKeyInfo), the file the
 * services are given as {@code QINGLIU_AUTH_PUBLIC_KEY_LOCATION}. {@code mint} prints a token on
 * stdout and nothing else (messages go to stderr), so that {@code TOKEN=$(deploy/local/token mint
 * --role planner)} works; it makes the pair first when there is none. A token is an RS256 JWT:
 * {@code iss} "qingliu", {@code sub}, {@code iat}, {@code exp}, {@code groups} = [role], and for
 * the county role {@code county} = the county's 12-digit division code.
 *
 * DIR is --dir, else $QINGLIU_KEYS_DIR (the wrapper sets deploy/local/.run/keys), else
 * deploy/local/.run/keys under the current directory. Never commit the private key.
 */
public final class Token {

    static final String ISSUER = "qingliu";
    static final List<String> ROLES = List.of("viewer", "planner", "county", "admin");
    static final int DEFAULT_HOURS = 12;
    static final int MAX_HOURS = 366 * 24;
    static final String USAGE = """
            usage: token keys [--dir DIR]
                   token mint --role viewer|planner|county|admin [--county CODE] [--subject NAME] [--hours N] [--dir DIR]

              keys   make an RSA-2048 key pair in DIR unless one is there: private.pem (owner only) and
                     public.pem (give it to the services as QINGLIU_AUTH_PUBLIC_KEY_LOCATION)
              mint   print a signed token (RS256 JWT, issuer "qingliu"); makes the pair first if missing
                     --role     viewer (reads), planner (writes anything in the city), county (reads all,
                                writes its county's facilities and projects), admin (everything, imports too)
                     --county   the county role's county, its 12-digit division code, e.g. 512021000000
                     --subject  who the token names in the audit trail (default: the role, e.g. "planner")
                     --hours    how long it is valid (default %d, at most %d)
              DIR    --dir, else $QINGLIU_KEYS_DIR, else deploy/local/.run/keys
            """.formatted(DEFAULT_HOURS, MAX_HOURS);

    /** A mistake in the arguments: the message and the usage, exit status 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (UsageException e) {
            System.err.println("token: " + e.getMessage());
            System.err.println();
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException | GeneralSecurityException | IllegalStateException e) {
            System.err.println("token: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(String[] args) throws UsageException, IOException, GeneralSecurityException {
        if (args.length == 0) {
            throw new UsageException("which command: keys or mint?");
        }
        if (List.of("-h", "--help", "help").contains(args[0])) {
            System.out.print(USAGE);
            return;
        }
        String command = args[0];
        String dir = null;
        String role = null;
        String county = null;
        String subject = null;
        String hours = null;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            String value = null;
            int eq = option.indexOf('=');
            if (option.startsWith("--") && eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            }
            if (option.equals("-h") || option.equals("--help")) {
                System.out.print(USAGE);
                return;
            }
            if (!List.of("--dir", "--role", "--county", "--subject", "--hours").contains(option)) {
                throw new UsageException("unknown argument " + args[i]);
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(option + " needs a value");
                }
                value = args[++i];
            }
            switch (option) {
                case "--dir" -> dir = value;
                case "--role" -> role = value;
                case "--county" -> county = value;
                case "--subject" -> subject = value;
                default -> hours = value;
            }
        }
        Path keys = keysDir(dir);
        switch (command) {
            case "keys" -> {
                if (role != null || county != null || subject != null || hours != null) {
                    throw new UsageException("keys takes only --dir; --role, --county, --subject and --hours are for mint");
                }
                boolean made = ensureKeys(keys);
                Path pub = keys.resolve("public.pem").toAbsolutePath();
                System.out.println((made ? "made a key pair in " : "key pair present in ") + keys.toAbsolutePath()
                        + " (private.pem: owner only, never share or commit it)");
                System.out.println("services verify with: QINGLIU_AUTH_PUBLIC_KEY_LOCATION=" + pub);
            }
            case "mint" -> {
                Claims claims = claims(role, county, subject, hours);
                if (ensureKeys(keys)) {
                    System.err.println("token: made a key pair in " + keys.toAbsolutePath()
                            + "; services verify with QINGLIU_AUTH_PUBLIC_KEY_LOCATION=" + keys.resolve("public.pem").toAbsolutePath());
                }
                System.out.println(mint(keys, claims));
            }
            default -> throw new UsageException("unknown command " + command + " (keys or mint)");
        }
    }

    static Path keysDir(String dir) {
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String env = System.getenv("QINGLIU_KEYS_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("deploy", "local", ".run", "keys");
    }

    // ---------------------------------------------------------------- claims

    record Claims(String subject, String role, String county, long issuedAt, long expiresAt) {
    }

    /** The claims of a token, from the mint options; every mistake named. */
    static Claims claims(String role, String county, String subject, String hours) throws UsageException {
        if (role == null) {
            throw new UsageException("mint needs --role: one of " + String.join(", ", ROLES));
        }
        if (!ROLES.contains(role)) {
            throw new UsageException("unknown role \"" + role + "\": one of " + String.join(", ", ROLES)
                    + (ROLES.contains(role.toLowerCase()) ? " (lower case)" : ""));
        }
        if (role.equals("county")) {
            if (county == null) {
                throw new UsageException("the county role needs --county CODE, the 12-digit division code of its county "
                        + "(Ziyang's: 512002000000 雁江区, 512021000000 安岳县, 512022000000 乐至县)");
            }
            checkCounty(county);
        } else if (county != null) {
            throw new UsageException("--county is only for the county role (a " + role + " token holds for the whole "
                    + (role.equals("viewer") ? "registry" : "city") + ")");
        }
        if (subject == null) {
            subject = role.equals("county") ? "county-" + county : role;
        }
        if (subject.isBlank()) {
            throw new UsageException("--subject must not be blank");
        }
        int h = DEFAULT_HOURS;
        if (hours != null) {
            try {
                h = Integer.parseInt(hours.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--hours must be a whole number of hours, e.g. 24; got \"" + hours + "\"");
            }
            if (h < 1 || h > MAX_HOURS) {
                throw new UsageException("--hours must be between 1 and " + MAX_HOURS + " (a year); got " + h);
            }
        }
        long now = System.currentTimeMillis() / 1000;
        return new Claims(subject, role, county, now, now + h * 3600L);
    }

    /** A county's division code: 12 digits, the last six zeros, not a city's or a province's. */
    static void checkCounty(String code) throws UsageException {
        if (code.matches("\\d{6}")) {
            throw new UsageException("--county takes the full 12-digit code: " + code + "000000");
        }
        if (!code.matches("\\d{12}")) {
            throw new UsageException("--county must be a county's 12-digit division code, e.g. 512021000000; got \"" + code + "\"");
        }
        if (code.endsWith("00000000")) {
            throw new UsageException(code + " is a " + (code.endsWith("0000000000") ? "province's" : "city's")
                    + " code, not a county's (a county's has its own fifth and sixth digits, e.g. 512021000000)");
        }
        if (!code.endsWith("000000")) {
            throw new UsageException(code + " is the code of a township or village, not of a county; its county is "
                    + code.substring(0, 6) + "000000");
        }
    }

    // ---------------------------------------------------------------- keys

    /** Makes the pair unless both halves are there (the public half again from the private one); true when it made one. */
    static boolean ensureKeys(Path dir) throws IOException, GeneralSecurityException {
        Path priv = dir.resolve("private.pem");
        Path pub = dir.resolve("public.pem");
        if (Files.isRegularFile(priv) && Files.isRegularFile(pub)) {
            return false;
        }
        createPrivateDir(dir);
        // Two makers at once (a runner and a hand) make one pair.
        try (FileChannel lock = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lock.lock()) {
            if (Files.isRegularFile(priv) && Files.isRegularFile(pub)) {
                return false;
            }
            if (Files.isRegularFile(pub)) {
                throw new IllegalStateException(dir.toAbsolutePath() + " holds public.pem but no private.pem: no token can be "
                        + "signed for it. Remove public.pem to make a new pair (then restart the services with the new one).");
            }
            if (Files.isRegularFile(priv)) {
                PrivateKey key = readPrivate(priv);
                if (!(key instanceof RSAPrivateCrtKey crt)) {
                    throw new IllegalStateException(priv + " holds no RSA CRT key; cannot derive its public half");
                }
                PublicKey derived = KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
                write(pub, pem("PUBLIC KEY", derived.getEncoded()), false);
                System.err.println("token: public.pem was missing; written again from private.pem");
                return false;
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            write(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            write(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
            return true;
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Writes a new file through a temporary one (owner-only from its creation when secret), then moves it in place. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        } else {
            Files.createFile(tmp);
            if (secret) {
                tmp.toFile().setReadable(false, false);
                tmp.toFile().setReadable(true, true);
            }
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static PrivateKey readPrivate(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalStateException(file + " is a PKCS#1 key; convert it to PKCS#8 "
                    + "(openssl pkcs8 -topk8 -nocrypt -in old.pem -out private.pem)");
        }
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not an RSA private key in PKCS#8 PEM: " + e.getMessage());
        }
    }

    static PublicKey readPublic(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not an RSA public key in PEM (-----BEGIN PUBLIC KEY-----): " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- signing

    /** The compact JWS of the claims, signed with DIR's private key and checked against its public key. */
    static String mint(Path dir, Claims c) throws IOException, GeneralSecurityException {
        Path priv = dir.resolve("private.pem");
        warnIfShared(priv);
        PrivateKey key = readPrivate(priv);
        List<String> fields = new ArrayList<>();
        fields.add(field("iss", ISSUER));
        fields.add(field("sub", c.subject()));
        fields.add("\"iat\":" + c.issuedAt());
        fields.add("\"exp\":" + c.expiresAt());
        fields.add("\"groups\":[" + json(c.role()) + "]");
        if (c.county() != null) {
            fields.add(field("county", c.county()));
        }
        fields.add(field("jti", UUID.randomUUID().toString()));
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{" + String.join(",", fields) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "." + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        byte[] signature = rsa.sign();
        // A token the services would refuse is no use: check it against the public half they are given.
        Signature check = Signature.getInstance("SHA256withRSA");
        check.initVerify(readPublic(dir.resolve("public.pem")));
        check.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        if (!check.verify(signature)) {
            throw new IllegalStateException("private.pem and public.pem in " + dir.toAbsolutePath() + " are not one pair");
        }
        return signingInput + "." + base64Url(signature);
    }

    private static void warnIfShared(Path priv) throws IOException {
        if (!posix() || !Files.exists(priv)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(priv);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            System.err.println("token: warning: " + priv + " is readable by others (" + PosixFilePermissions.toString(perms)
                    + "); chmod 600 it");
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String field(String name, String value) {
        return json(name) + ":" + json(value);
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

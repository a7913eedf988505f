package io.postroom.message.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.Secret;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.MessageId;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.persistence.AttachmentRecord;
import io.postroom.persistence.MessageLocation;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.Credentials;
import io.postroom.protocol.MailConnectors;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Run in a JVM of its own with a small heap (see DovecotMessagesTest): opens one attachment
 * exactly as the service does after its database lookups, reads it to the end and prints
 * {@code sha256 <hex> <bytes>}. An attachment held in memory as a whole would not fit.
 *
 * <p>Arguments: imap-port folder uidvalidity uid part message-id size range-bytes; the login in
 * the environment variables PROBE_USER and PROBE_PASSWORD.
 */
public final class AttachmentHeapProbe {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String folder = args[1];
        long uidValidity = Long.parseLong(args[2]);
        long uid = Long.parseLong(args[3]);
        String part = args[4];
        String messageId = args[5];
        long size = Long.parseLong(args[6]);
        int range = Integer.parseInt(args[7]);
        Endpoint imap = new Endpoint("127.0.0.1", port, Security.NONE);
        MailboxConnection mailbox = new MailboxConnection(MailboxId.of(1), TenantId.of("probe"), UserId.of("probe"),
                EmailAddress.of("probe@postroom.test"), "", imap, new Endpoint("127.0.0.1", 25, Security.NONE),
                new Credentials(System.getenv("PROBE_USER"), Secret.of(System.getenv("PROBE_PASSWORD"))),
                new MailboxSettings("", "", AccessLevel.PERSONAL, Set.of(), MessageVisibility.OWNER_ONLY, false,
                        Set.of(), false, KeepPolicy.BOTH, SyncPeriod.DAYS_14, List.of(folder)), true);
        AttachmentFetcher fetcher = new AttachmentFetcher(MailConnectors.create(ConnectorConfig.defaults()
                .withAllowedHosts("127.0.0.1").withPlaintextHosts("127.0.0.1").withAllowedPorts()), range, System::nanoTime);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (AttachmentContent content = fetcher.open(mailbox, MessageId.of(1), messageId,
                List.of(new MessageLocation(1, folder, uidValidity, uid, Set.of())),
                new AttachmentRecord(1, part, "big.bin", "application/octet-stream", size, false, null, "base64"), () -> { });
             InputStream in = content.stream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                total += n;
            }
        }
        System.out.println("sha256 " + HexFormat.of().formatHex(digest.digest()) + " " + total
                + " maxheap " + Runtime.getRuntime().maxMemory());
    }
}

package io.postroom.persistence.internal;

import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.OrderColumn;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;
import javax.persistence.Version;
import org.eclipse.persistence.annotations.BatchFetch;
import org.eclipse.persistence.annotations.BatchFetchType;

/** Row of table {@code mailbox}, with its shares, allowed senders and folders. */
@Entity(name = "Mailbox")
@Table(name = "mailbox")
public class MailboxEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "mailbox_seq")
    @SequenceGenerator(name = "mailbox_seq", sequenceName = "mailbox_seq", allocationSize = 50)
    @Column(name = "id")
    private long id;

    @Version
    @Column(name = "row_version")
    private long version;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "owner_id", nullable = false, updatable = false)
    private String ownerId;

    @Column(name = "address", nullable = false, updatable = false)
    private String address;

    @Column(name = "address_key", nullable = false, updatable = false)
    private String addressKey;

    @Column(name = "active_address_key")
    private String activeAddressKey;

    @Column(name = "preset", nullable = false)
    private String preset;

    @Column(name = "username", nullable = false)
    private String username;

    @Column(name = "sealed_password", nullable = false)
    private String sealedPassword;

    @Column(name = "imap_host", nullable = false)
    private String imapHost;

    @Column(name = "imap_port", nullable = false)
    private int imapPort;

    @Enumerated(EnumType.STRING)
    @Column(name = "imap_security", nullable = false)
    private Security imapSecurity;

    @Column(name = "smtp_host", nullable = false)
    private String smtpHost;

    @Column(name = "smtp_port", nullable = false)
    private int smtpPort;

    @Enumerated(EnumType.STRING)
    @Column(name = "smtp_security", nullable = false)
    private Security smtpSecurity;

    @Column(name = "sender_name", nullable = false)
    private String senderName;

    @Column(name = "name_template", nullable = false)
    private String nameTemplate;

    @Enumerated(EnumType.STRING)
    @Column(name = "access_level", nullable = false)
    private AccessLevel accessLevel;

    @ElementCollection
    @CollectionTable(name = "mailbox_share", joinColumns = @JoinColumn(name = "mailbox_id"))
    @Column(name = "user_id", nullable = false)
    @BatchFetch(BatchFetchType.IN)
    private Set<String> sharedWith = new HashSet<>();

    @Enumerated(EnumType.STRING)
    @Column(name = "visibility", nullable = false)
    private MessageVisibility visibility;

    @Column(name = "private_messages", nullable = false)
    private boolean privateMessages;

    @ElementCollection
    @CollectionTable(name = "mailbox_allowed_sender", joinColumns = @JoinColumn(name = "mailbox_id"))
    @Column(name = "user_id", nullable = false)
    @BatchFetch(BatchFetchType.IN)
    private Set<String> allowedSenders = new HashSet<>();

    @Column(name = "crm_linking", nullable = false)
    private boolean crmLinking;

    @Enumerated(EnumType.STRING)
    @Column(name = "keep_policy", nullable = false)
    private KeepPolicy keep;

    @Enumerated(EnumType.STRING)
    @Column(name = "sync_period", nullable = false)
    private SyncPeriod syncPeriod;

    @ElementCollection
    @CollectionTable(name = "mailbox_folder", joinColumns = @JoinColumn(name = "mailbox_id"))
    @OrderColumn(name = "folder_order")
    @Column(name = "folder_name", nullable = false)
    @BatchFetch(BatchFetchType.IN)
    private List<String> folders = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private MailboxState state;

    @Column(name = "inactive_reason")
    private String inactiveReason;

    @Column(name = "verified", nullable = false)
    private boolean verified;

    @Column(name = "consecutive_failures", nullable = false)
    private int consecutiveFailures;

    @Column(name = "last_failure")
    private String lastFailure;

    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    public long getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getOwnerId() {
        return ownerId;
    }

    public void setOwnerId(String ownerId) {
        this.ownerId = ownerId;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getAddressKey() {
        return addressKey;
    }

    public void setAddressKey(String addressKey) {
        this.addressKey = addressKey;
    }

    public String getActiveAddressKey() {
        return activeAddressKey;
    }

    public void setActiveAddressKey(String activeAddressKey) {
        this.activeAddressKey = activeAddressKey;
    }

    public String getPreset() {
        return preset;
    }

    public void setPreset(String preset) {
        this.preset = preset;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getSealedPassword() {
        return sealedPassword;
    }

    public void setSealedPassword(String sealedPassword) {
        this.sealedPassword = sealedPassword;
    }

    public String getImapHost() {
        return imapHost;
    }

    public void setImapHost(String imapHost) {
        this.imapHost = imapHost;
    }

    public int getImapPort() {
        return imapPort;
    }

    public void setImapPort(int imapPort) {
        this.imapPort = imapPort;
    }

    public Security getImapSecurity() {
        return imapSecurity;
    }

    public void setImapSecurity(Security imapSecurity) {
        this.imapSecurity = imapSecurity;
    }

    public String getSmtpHost() {
        return smtpHost;
    }

    public void setSmtpHost(String smtpHost) {
        this.smtpHost = smtpHost;
    }

    public int getSmtpPort() {
        return smtpPort;
    }

    public void setSmtpPort(int smtpPort) {
        this.smtpPort = smtpPort;
    }

    public Security getSmtpSecurity() {
        return smtpSecurity;
    }

    public void setSmtpSecurity(Security smtpSecurity) {
        this.smtpSecurity = smtpSecurity;
    }

    public String getSenderName() {
        return senderName;
    }

    public void setSenderName(String senderName) {
        this.senderName = senderName;
    }

    public String getNameTemplate() {
        return nameTemplate;
    }

    public void setNameTemplate(String nameTemplate) {
        this.nameTemplate = nameTemplate;
    }

    public AccessLevel getAccessLevel() {
        return accessLevel;
    }

    public void setAccessLevel(AccessLevel accessLevel) {
        this.accessLevel = accessLevel;
    }

    public Set<String> getSharedWith() {
        return sharedWith;
    }

    public MessageVisibility getVisibility() {
        return visibility;
    }

    public void setVisibility(MessageVisibility visibility) {
        this.visibility = visibility;
    }

    public boolean isPrivateMessages() {
        return privateMessages;
    }

    public void setPrivateMessages(boolean privateMessages) {
        this.privateMessages = privateMessages;
    }

    public Set<String> getAllowedSenders() {
        return allowedSenders;
    }

    public boolean isCrmLinking() {
        return crmLinking;
    }

    public void setCrmLinking(boolean crmLinking) {
        this.crmLinking = crmLinking;
    }

    public KeepPolicy getKeep() {
        return keep;
    }

    public void setKeep(KeepPolicy keep) {
        this.keep = keep;
    }

    public SyncPeriod getSyncPeriod() {
        return syncPeriod;
    }

    public void setSyncPeriod(SyncPeriod syncPeriod) {
        this.syncPeriod = syncPeriod;
    }

    public List<String> getFolders() {
        return folders;
    }

    public MailboxState getState() {
        return state;
    }

    public void setState(MailboxState state) {
        this.state = state;
    }

    public String getInactiveReason() {
        return inactiveReason;
    }

    public void setInactiveReason(String inactiveReason) {
        this.inactiveReason = inactiveReason;
    }

    public boolean isVerified() {
        return verified;
    }

    public void setVerified(boolean verified) {
        this.verified = verified;
    }

    public int getConsecutiveFailures() {
        return consecutiveFailures;
    }

    public void setConsecutiveFailures(int consecutiveFailures) {
        this.consecutiveFailures = consecutiveFailures;
    }

    public String getLastFailure() {
        return lastFailure;
    }

    public void setLastFailure(String lastFailure) {
        this.lastFailure = lastFailure;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(OffsetDateTime createdAt) {
        this.createdAt = createdAt;
    }

    public OffsetDateTime getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(OffsetDateTime updatedAt) {
        this.updatedAt = updatedAt;
    }
}

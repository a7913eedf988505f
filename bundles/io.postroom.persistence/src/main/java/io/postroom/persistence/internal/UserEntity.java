package io.postroom.persistence.internal;

import java.io.Serializable;
import java.util.Objects;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/**
 * Row of table {@code postroom_user}: a user Postroom has seen. Holds the default mailbox for
 * sending and is the row that plan-limit checks lock ({@code SELECT ... FOR UPDATE}).
 */
@Entity(name = "PostroomUser")
@Table(name = "postroom_user")
@IdClass(UserEntity.Key.class)
public class UserEntity {

    @Id
    @Column(name = "tenant_id")
    private String tenantId;

    @Id
    @Column(name = "user_id")
    private String userId;

    @Column(name = "default_mailbox_id")
    private Long defaultMailboxId;

    public UserEntity() {
    }

    public UserEntity(String tenantId, String userId) {
        this.tenantId = tenantId;
        this.userId = userId;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getUserId() {
        return userId;
    }

    public Long getDefaultMailboxId() {
        return defaultMailboxId;
    }

    public void setDefaultMailboxId(Long defaultMailboxId) {
        this.defaultMailboxId = defaultMailboxId;
    }

    /** Composite key: tenant and user. */
    public static final class Key implements Serializable, Comparable<Key> {
        private static final long serialVersionUID = 1L;

        private String tenantId;
        private String userId;

        public Key() {
        }

        public Key(String tenantId, String userId) {
            this.tenantId = tenantId;
            this.userId = userId;
        }

        public String getTenantId() {
            return tenantId;
        }

        public String getUserId() {
            return userId;
        }

        @Override
        public int compareTo(Key o) {
            int c = tenantId.compareTo(o.tenantId);
            return c != 0 ? c : userId.compareTo(o.userId);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && tenantId.equals(k.tenantId) && userId.equals(k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, userId);
        }

        @Override
        public String toString() {
            return userId + "@" + tenantId;
        }
    }
}

package io.postroom.persistence;

import java.util.List;

/**
 * What a batch changed.
 *
 * @param storedIds      ids of the new message records (not counting new locations of known ones)
 * @param locationsAdded new locations, of new and of known messages
 * @param flagChanges    locations whose flags changed
 * @param expunged       locations removed
 * @param quarantined    quarantine entries written
 */
public record BatchResult(List<Long> storedIds, int locationsAdded, int flagChanges, int expunged, int quarantined) {
    public BatchResult {
        storedIds = List.copyOf(storedIds);
    }
}

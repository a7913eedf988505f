package io.postroom.api.sync;

import java.time.Instant;

/**
 * Progress of a running sync.
 *
 * @param foldersDone       folders finished in this run
 * @param foldersTotal      folders this run covers
 * @param currentFolder     the folder being synchronised, may be null
 * @param messagesDone      messages stored in this run so far
 * @param messagesEstimated estimate from STATUS/SEARCH before downloading (0 until known)
 * @param startedAt         when the run started
 * @param node              the cluster node running it
 */
public record SyncProgress(int foldersDone, int foldersTotal, String currentFolder, long messagesDone,
                           long messagesEstimated, Instant startedAt, String node) {
}

/**
 * Columns that DMS adds to every parquet file it writes, with the endpoint settings and table
 * mapping of pipelines/ (one place for their names, Glue types and what they hold).
 * All three are parquet STRING columns:
 * - `op`: IncludeOpForFullLoad writes it on full load too (always I); CDC writes I, U or D.
 *   AWS DMS API reference, S3Settings, IncludeOpForFullLoad and CdcInsertsOnly:
 *   https://docs.aws.amazon.com/dms/latest/APIReference/API_S3Settings.html
 * - `extraction_timestamp`: TimestampColumnName adds "an additional STRING column" formatted
 *   `yyyy-MM-dd HH:mm:ss.SSSSSS` (full load: when DMS transferred the row; CDC: the source
 *   commit time). ParquetTimestampInMillisecond "has no effect on the string format" of it
 *   (same page, TimestampColumnName and ParquetTimestampInMillisecond).
 * - `scn`: the table mapping's add-column rule with `$AR_H_STREAM_POSITION` (pipelines/
 *   tableMappings.ts): the source stream position, the SCN for Oracle, as a string; empty on
 *   full load. AWS DMS user guide, "Using transformation rule expressions to define column
 *   content", replicating source table headers:
 *   https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Expressions.html
 */
export const DMS_COLUMNS = {
  operation: {
    name: "op",
    glueType: "string",
    kind: "string",
    comment: "DMS operation: I (insert, and every full-load row), U (update) or D (delete)",
  },
  commitTimestamp: {
    name: "extraction_timestamp",
    glueType: "string",
    kind: "string",
    comment:
      "yyyy-MM-dd HH:mm:ss.SSSSSS: commit time of the change in the source; full load: when DMS read the row",
  },
  streamPosition: {
    name: "scn",
    glueType: "string",
    kind: "string",
    comment:
      "Oracle SCN of the change (DMS $AR_H_STREAM_POSITION), orders changes committed in the same instant; empty on full load",
  },
} as const;

/** The format DMS writes `extraction_timestamp` in: `yyyy-MM-dd HH:mm:ss.SSSSSS` (S3Settings, TimestampColumnName). */
export const DMS_TIMESTAMP_FORMAT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}$/;

/** The only values DMS writes in `op` (S3Settings, IncludeOpForFullLoad). */
export const DMS_OPERATIONS = ["I", "U", "D"] as const;

Feature: FreeClimb records a message with RecordUtterance
  RecordUtterance records what the far end says until the finish key, a silence, the maximum
  length or a hang-up ends it. The actionUrl then gets a record webhook with the recording (its
  id, URL and length in whole seconds, rounded up) and why it ended; the recording is readable
  through REST, and the PerCL answered to the webhook continues the call.

  @clause:U01 @mock-only @fault:no-record-webhook @fault:finish-key-ignored @fault:utterance-duration-rounded-down @fault:utterance-not-readable @fault:record-answer-ignored @fault:recording-not-readable
  Scenario: the finish key ends a message, which is reported and readable
    When "fay" is dialled and the app records a message with '{"finishOnKey": "#"}'
    And the far end of "fay" speaks for 2.5 seconds
    And the far end of "fay" presses "#"
    Then the message of "fay" ends with termReason "finishKey"
    And the message of "fay" is reported with a recording of 3 seconds
    And the message of "fay" can be read through REST
    And "fay"'s call continues at its redirect

  @clause:U01 @mock-only @fault:record-silence-ignored @fault:no-record-webhook
  Scenario: a silence ends the message
    When "gus" is dialled and the app records a message with '{"silenceTimeoutMs": 2000, "maxLengthSec": 60}'
    And the far end of "gus" speaks for 4 seconds
    And the far end of "gus" is silent for 3 seconds
    Then the message of "gus" ends with termReason "timeout"

  @clause:U01 @mock-only @fault:record-max-length-ignored @fault:no-record-webhook
  Scenario: the maximum length ends the message
    When "hal" is dialled and the app records a message with '{"maxLengthSec": 5}'
    And the far end of "hal" speaks for 8 seconds
    Then the message of "hal" ends with termReason "maxLength"
    And the message of "hal" is reported with a recording of 5 seconds

  # Mock only: live, nothing says the recording has begun, so the hang-up could come first.
  @clause:U01 @mock-only @fault:record-hangup-unreported @fault:no-record-webhook @fault:rest-hangup-ignored
  Scenario: a hang-up ends the message, and it is still reported
    When "ida" is dialled and the app records a message with '{"finishOnKey": "#"}'
    And "ida" hangs up
    Then the message of "ida" ends with termReason "hangup"

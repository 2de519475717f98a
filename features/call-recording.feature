Feature: FreeClimb records a call with StartRecordCall
  StartRecordCall records the rest of the call without ending the script. When the call ends, its
  callStatus webhook carries the recording (id, URL, length in seconds), readable through REST.

  @clause:K01 @mock-only @fault:record-call-unreported @fault:call-recording-not-readable @fault:recording-not-readable
  Scenario: the recording of a call is reported on its callStatus
    When "ned" is dialled and the app records the call, then pauses 2 seconds
    Then the callStatus of "ned" reports a recording of 2 seconds
    And the call recording of "ned" can be read through REST

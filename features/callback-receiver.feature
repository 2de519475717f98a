Feature: Bad callbacks are rejected with a clear reason and kept as evidence
  FreeClimb signs every webhook with FreeClimb-Signature (t=<unix seconds>,v1=<HMAC-SHA256 of
  "t.body" keyed with the signing secret>). The receiver rejects what fails verification or does
  not match a documented webhook, says what was wrong, and keeps the request for the report.

  @clause:S01 @no-callbacks
  Scenario: a callback signed with the wrong secret is rejected
    When a callback signed with the wrong secret arrives
    Then the receiver answers 401 and reports a "signature" problem mentioning "mismatch"

  @clause:S01 @no-callbacks
  Scenario: a callback signed more than five minutes ago is rejected
    When a callback signed ten minutes ago arrives
    Then the receiver answers 401 and reports a "signature" problem mentioning "old"

  @clause:S01 @no-callbacks
  Scenario: an unsigned callback is rejected
    When an unsigned callback arrives
    Then the receiver answers 401 and reports a "signature" problem mentioning "FreeClimb-Signature"

  @clause:W01 @no-callbacks
  Scenario: a callback with an unknown requestType names it
    When a signed callback with body '{"requestType":"conferenceExploded","accountId":"AC0"}' arrives
    Then the receiver answers 400 and reports a "invalid-webhook" problem mentioning "conferenceExploded"

  @clause:W01 @no-callbacks
  Scenario: a conferenceStatus callback without status names the missing field
    When a signed conferenceStatus callback without "status" arrives
    Then the receiver answers 400 and reports a "invalid-webhook" problem mentioning "/status"

  @clause:W01 @no-callbacks
  Scenario: a callback that is not JSON is rejected
    When a signed callback with body 'status=empty' arrives
    Then the receiver answers 400 and reports a "invalid-webhook" problem mentioning "not JSON"

  @clause:S01 @clause:W01 @fault:rest-hangup-ignored @fault:inprogress-before-populated @fault:start-moderator-ignored @fault:stays-populated-after-last-leave
  Scenario: every webhook of a conference's life is signed and matches its documented payload
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    When "alice" hangs up
    Then the status callbacks are one of:
      | empty, populated, inProgress, empty |
      | empty, inProgress, empty            |
    And every callback so far is signed by the account and valid

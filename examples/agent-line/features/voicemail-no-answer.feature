Feature: A caller leaves a voicemail when the agent does not answer
  When the agent lets the phone ring out, the app takes the caller out of the conference and
  offers voicemail: a message after the beep, ended with the pound key or by silence. The
  conference ends; the caller hears a goodbye once the message is saved.

  Scenario: the caller leaves a message and presses pound
    Given "agent" is at "+15550107777"
    And "agent" will not answer
    When "alice" calls the app
    Then the app calls "agent"
    When "alice" leaves a message and presses "#"
    Then "alice" hears "your message has been saved"
    And "alice"'s call ends
    And the conference of "alice" is "terminated"

  Scenario: the caller leaves a message and falls silent
    Given "agent" is at "+15550107777"
    And "agent" will not answer
    When "alice" calls the app
    Then the app calls "agent"
    When "alice" leaves a message of 12 seconds
    Then "alice"'s call ends
    And "agent" is not in a conference

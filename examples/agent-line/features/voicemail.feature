Feature: The agent's voicemail never joins the caller
  When a machine answers the agent's number, the app must not put it in the caller's conference:
  it hangs up on the machine and ends the conference, so the caller is not left talking to a
  recording.

  Scenario: the agent's voicemail answers
    Given "agent" is at "+15550107777"
    And "agent"'s voicemail will answer
    When "alice" calls the app
    Then the app calls "agent"
    And "agent"'s call ends
    And "alice"'s call ends
    And "agent" is not in a conference

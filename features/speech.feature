Feature: FreeClimb recognises speech with GetSpeech
  GetSpeech plays its prompts and listens. What the far end says is matched against the grammar:
  the actionUrl gets a getSpeech webhook with reason recognition and the result, noMatch when the
  grammar does not match, or noInput when nothing was said in time; confidence is 0 to 100. The
  PerCL answered to the webhook continues the call.

  @clause:G01 @mock-only @fault:speech-never-recognized @fault:speech-answer-ignored @fault:speech-confidence-fraction
  Scenario: a word of the app's grammar is recognised
    When "jon" is dialled and the app listens for speech with its own grammar
    And the far end of "jon" says "sales"
    Then the app hears from "jon" reason "recognition" with result "sales"
    And "jon"'s call continues at its redirect

  @clause:G01 @mock-only @fault:speech-matches-anything
  Scenario: words a built-in grammar does not match are reported as noMatch
    When "kim" is dialled and the app listens for speech with the built-in grammar "VERSAY_YESNO"
    And the far end of "kim" says "maybe later"
    Then the app hears from "kim" reason "noMatch" with result "(none)"

  @clause:G01 @mock-only @fault:speech-no-input-unreported
  Scenario: silence is reported as noInput
    When "lou" is dialled and the app listens for speech with the built-in grammar "DIG4"
    And the far end of "lou" is silent for 10 seconds
    Then the app hears from "lou" reason "noInput" with result "(none)"

Feature: FreeClimb runs the PerCL it gets back as documented
  A terminal command ends the script: anything after it is ignored. A script that runs out without
  a terminal command hangs up the call.

  @clause:P01 @fault:commands-after-terminal-run
  Scenario: commands after a terminal command are ignored
    When "xavier" is dialled and the app answers with a Redirect followed by a Hangup
    Then "xavier"'s call continues at its redirect
    And "xavier"'s call is still up through REST

  @clause:P01 @fault:script-end-keeps-call
  Scenario: a script without a terminal command hangs up when it runs out
    When "yara" is dialled and the app answers with only a Say
    Then "yara"'s call ends with callStatus "completed"

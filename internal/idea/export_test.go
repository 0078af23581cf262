package idea

// LanguageConfig exposes languageConfig to the tests of package idea_test.
var LanguageConfig = languageConfig

package report

import "gorm.io/gorm"

// Store reads and writes published reports.
type Store struct {
	db *gorm.DB
}
